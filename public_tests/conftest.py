"""The public checks use the grading plugin's fixtures (`course check` loads it with -p)."""
