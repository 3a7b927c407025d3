"""seamline.audit."""
