"""Turn source files into pages of lines of words, with boxes and confidences."""
