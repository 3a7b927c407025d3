"""Files to process definitions: the only package that parses BPMN and DMN XML."""
