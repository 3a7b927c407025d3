"""seamline.humans."""
