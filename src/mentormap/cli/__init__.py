"""The terminal face of mentormap: parse, call one service, render."""
