"""Money put into the career: spending on coaches, courses and conferences, and its budget."""
