"""Gradescope: the autograder zip (setup.sh, run_autograder, the course) and the script it runs per submission."""
