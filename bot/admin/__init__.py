"""Data for admins and volunteers: anonymous statistics, unanswered questions, share links, QR and poster."""
