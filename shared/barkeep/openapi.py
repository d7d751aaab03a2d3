"""OpenAPI 3.1 for a ServiceApp, generated from the models its routes declare."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from barkeep.http import is_uuid_param

if TYPE_CHECKING:
    from barkeep.http import ServiceApp

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "object"},
            },
        }
    },
}


def _schema(model: type[BaseModel], components: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def build(app: ServiceApp) -> dict[str, Any]:
    components: dict[str, Any] = {"Error": _ERROR}
    paths: dict[str, Any] = {}
    for op in app.operations:
        params: list[dict[str, Any]] = [
            {
                "name": p,
                "in": "path",
                "required": True,
                "schema": {"type": "string", "format": "uuid"}
                if is_uuid_param(p)
                else {"type": "string"},
            }
            for p in re.findall(r"{(\w+)}", op.path)
        ]
        if op.query is not None:
            for name, field in op.query.model_fields.items():
                params.append(
                    {
                        "name": name,
                        "in": "query",
                        "required": field.is_required(),
                        "schema": {"type": "string"},
                    }
                )
        responses: dict[str, Any] = {
            "400": {
                "description": "Invalid input",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        }
        ok: dict[str, Any] = {"description": "Success"}
        if op.returns is not None:
            ok["content"] = {"application/json": {"schema": _schema(op.returns, components)}}
        responses[str(op.status)] = ok
        if op.auth:
            responses["401"] = {"description": "Missing or invalid credentials"}
            responses["403"] = {"description": "Not allowed"}
        for method in op.methods:
            operation: dict[str, Any] = {
                "operationId": f"{op.name}_{method.lower()}",
                "summary": op.summary,
                "parameters": params,
                "responses": responses,
            }
            if op.body is not None:
                operation["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": _schema(op.body, components)}},
                }
            if op.auth:
                operation["security"] = [{op.auth: []}]
            paths.setdefault(op.path, {})[method.lower()] = operation
    schemes = {
        op.auth: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        for op in app.operations
        if op.auth
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": app.title, "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": schemes},
    }
