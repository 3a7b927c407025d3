"""seamline.engine."""
