"""Application data: the input model, its field specification, YAML and XLSX readers, blank inputs."""
