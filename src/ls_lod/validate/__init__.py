"""SHACL validation and the catalogers' report: shapes, engines, the validator, report rendering."""
