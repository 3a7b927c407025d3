"""seamline.store."""
