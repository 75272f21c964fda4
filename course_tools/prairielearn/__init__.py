"""PrairieLearn: a question whose external grader (docs/externalGrading.md) runs the course's graders."""
