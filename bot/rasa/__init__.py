"""The Rasa shell: custom actions (rasa-sdk) and the project export, over the same core."""
