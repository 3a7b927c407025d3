"""seamline.expr."""
