"""The command line: thin edges over the pipeline, the store and the web app."""
