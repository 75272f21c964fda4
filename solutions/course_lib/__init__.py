"""Reference implementations of the exercise modules (instructors only; never released)."""
