"""What admins edit: knowledge, training examples and lexicon, read and checked by one validator."""
