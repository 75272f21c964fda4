"""One module per `course` verb, each with add_arguments(parser) and run(args) -> exit status."""
