"""Sources: a file of any supported kind -> pages of lines of words (text layers read,
page images handed to OCR)."""
