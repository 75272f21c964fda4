"""The trusted judge: the pytest plugin and its session, checks and diagnoses, config, results, staging,
the one launcher and the grader fingerprint. It never imports student code; that runs only in a
worker started by course_tools.sandbox."""
