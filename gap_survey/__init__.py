"""The Digital Information Gap Index from survey microdata, with design-based uncertainty."""
