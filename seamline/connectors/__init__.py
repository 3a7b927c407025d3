"""seamline.connectors."""
