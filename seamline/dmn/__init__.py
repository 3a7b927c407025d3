"""seamline.dmn."""
