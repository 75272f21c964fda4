"""`course submit`: checking a student's exercise modules and packing them with a manifest."""
