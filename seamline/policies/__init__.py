"""seamline.policies."""
