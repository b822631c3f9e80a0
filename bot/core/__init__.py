"""The pure core: normalise, detect danger, match, reply; never imports telegram or rasa_sdk."""
