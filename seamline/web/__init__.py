"""seamline.web."""
