"""Mail capture: mbox, Maildir and IMAP become interactions and owed replies."""
