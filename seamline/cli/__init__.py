"""seamline.cli."""
