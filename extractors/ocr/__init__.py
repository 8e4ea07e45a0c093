"""OCR: page images -> upright, deskewed lines of words with boxes and confidences
(Tesseract, wrapped in tesseract.py; OpenCV for deskew and binarisation)."""
