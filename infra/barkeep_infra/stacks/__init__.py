"""The programs: `platform_program()` for a stage, `service_program()` for a stage and service.

The projects' `__main__.py` only call these; tests call them under Pulumi's mocks."""
