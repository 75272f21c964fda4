"""Learning management systems: reading their bulk downloads and writing their grade imports (Canvas, Moodle)."""
