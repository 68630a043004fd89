/// The OpenAPI 3.1 description of the service's own API, served at `/openapi.json`. Kept beside the handlers it
/// describes; `Tests/python/test_serve_api.py` runs schemathesis against it.
enum OpenAPIDocument {
    static let json = #"""
{
 "openapi": "3.1.0",
 "info": {
  "title": "Promote",
  "version": "1.0.0",
  "description": "GitOps promotion of ML model versions: event intake, promotion status, access-controlled reads and promotions, the status page, the audit log, merge webhooks, health and metrics."
 },
 "paths": {
  "/v1/events": {
   "post": {
    "operationId": "postEvent",
    "summary": "Submit a model version for promotion (native event or CloudEvent/CDEvent).",
    "security": [
     {
      "standardWebhooks": []
     },
     {
      "bearer": []
     }
    ],
    "parameters": [
     {
      "name": "webhook-id",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "webhook-timestamp",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "webhook-signature",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/NativeEvent"
       }
      },
      "application/cloudevents+json": {
       "schema": {
        "type": "object"
       }
      }
     }
    },
    "responses": {
     "202": {
      "description": "Accepted: the promotion is committed to the state store and queued. A re-delivery (same idempotency key or delivery id) gets the original promotion.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        },
        "description": "The promotion's status URL."
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Accepted"
        }
       }
      }
     },
     "400": {
      "description": "The body is not valid JSON, or a CloudEvents attribute is malformed.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or wrong signature or token, a stale timestamp; nothing was stored.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "No such endpoint.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "The delivery id was already used for a different body.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "The body is larger than 1 MiB.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "415": {
      "description": "The Content-Type is neither application/json nor a CloudEvent.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "The event breaks the contract; `errors` names every failing field.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/webhooks/mlflow": {
   "post": {
    "operationId": "postMLflowWebhook",
    "summary": "MLflow model-registry webhook (X-MLflow-Signature).",
    "parameters": [
     {
      "name": "X-MLflow-Delivery-Id",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "X-MLflow-Timestamp",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "X-MLflow-Signature",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Handled or ignored (not a promotion event).",
      "content": {
       "application/json": {
        "schema": {
         "oneOf": [
          {
           "$ref": "#/components/schemas/Accepted"
          },
          {
           "$ref": "#/components/schemas/WebhookResult"
          }
         ]
        }
       }
      }
     },
     "202": {
      "description": "Accepted: the promotion is committed to the state store and queued. A re-delivery (same idempotency key or delivery id) gets the original promotion.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        },
        "description": "The promotion's status URL."
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Accepted"
        }
       }
      }
     },
     "400": {
      "description": "The body is not valid JSON, or a CloudEvents attribute is malformed.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or wrong signature or token, a stale timestamp; nothing was stored.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "No such endpoint.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "The delivery id was already used for a different body.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "The body is larger than 1 MiB.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "415": {
      "description": "The Content-Type is neither application/json nor a CloudEvent.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "The event breaks the contract; `errors` names every failing field.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "503": {
      "description": "MLflow could not be reached, or the version is not READY yet; retry later (Retry-After).",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/webhooks/{forge}": {
   "post": {
    "operationId": "postForgeWebhook",
    "summary": "A forge's pull-request webhook (merge or close of a promotion PR).",
    "parameters": [
     {
      "name": "forge",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "enum": [
        "github",
        "gitlab",
        "gitea",
        "forgejo",
        "bitbucket"
       ]
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Handled or ignored (not a promotion event).",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/WebhookResult"
        }
       }
      }
     },
     "400": {
      "description": "The payload cannot be read.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or wrong forge signature or token.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "No such forge, or no environment uses it.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "The body is too large.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "The payload lacks a field the event needs.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "502": {
      "description": "The forge could not be asked about the pull request.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/promotions/{id}": {
   "get": {
    "operationId": "getPromotion",
    "summary": "One promotion with its steps.",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The promotion.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Promotion"
        }
       }
      }
     },
     "404": {
      "description": "No promotion has this id.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "No valid token (a token with the read scope is needed).",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token lacks the read scope.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "security": [
     {
      "readToken": []
     }
    ]
   }
  },
  "/v1/status": {
   "get": {
    "operationId": "getStatus",
    "summary": "Per model and environment: what the spec on the branch holds, the ledger, the proposal and its pull request, gate verdicts and drift (the document promote status --json prints).",
    "parameters": [
     {
      "name": "model",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "Status.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Status"
        }
       }
      }
     },
     "401": {
      "description": "No valid token.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token lacks the read scope.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "security": [
     {
      "readToken": []
     }
    ]
   }
  },
  "/v1/audit": {
   "get": {
    "operationId": "getAudit",
    "summary": "The audit log, newest first (the document promote audit --json prints).",
    "security": [
     {
      "readToken": []
     }
    ],
    "parameters": [
     {
      "name": "model",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "since",
      "in": "query",
      "required": false,
      "description": "RFC 3339 time, or a duration back from now (30m, 24h, 7d).",
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "Audit entries.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Audit"
        }
       }
      }
     },
     "400": {
      "description": "since is neither an RFC 3339 time nor a duration.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "No valid token.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token lacks the read scope.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/v1/promotions": {
   "post": {
    "operationId": "postPromotion",
    "summary": "Release, roll back or advance as the token's name (advance is not available yet: 501).",
    "security": [
     {
      "promoteToken": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/PromotionRequest"
       }
      }
     }
    },
    "responses": {
     "202": {
      "description": "Committed to the store; the workers run it.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Accepted"
        }
       }
      }
     },
     "400": {
      "description": "The body is not a JSON object.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "No valid token.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token lacks the promote scope.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "The body is too large.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "A field is missing, unknown or invalid, or the request cannot be promoted here.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "501": {
      "description": "advance is not available yet.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/": {
   "get": {
    "operationId": "getStatusPage",
    "summary": "The status page (HTML, no JavaScript). Without a session: 401 with the login form.",
    "responses": {
     "200": {
      "description": "The grid of models x environments.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "401": {
      "description": "The login form.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Not allowed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/models/{model}": {
   "get": {
    "operationId": "getModelPage",
    "summary": "One model: metric trends (inline SVG), versions per environment, promotions, audit.",
    "parameters": [
     {
      "name": "model",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The model's page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "401": {
      "description": "The login form.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Not allowed.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Nothing is known of this model.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/login": {
   "post": {
    "operationId": "postLogin",
    "summary": "Opens a page session for a token (HttpOnly, SameSite=Strict cookie promote_session).",
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "token": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "Logged in; to /.",
      "headers": {
       "Set-Cookie": {
        "schema": {
         "type": "string"
        }
       },
       "Location": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "401": {
      "description": "The token is not valid.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "A cross-site login.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/logout": {
   "post": {
    "operationId": "postLogout",
    "summary": "Ends the page session (CSRF token required).",
    "requestBody": {
     "required": false,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "csrf": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "Logged out; to /.",
      "headers": {
       "Set-Cookie": {
        "schema": {
         "type": "string"
        }
       },
       "Location": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Missing or wrong CSRF token.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/actions": {
   "post": {
    "operationId": "postPageAction",
    "summary": "A button of the page: release or rollback as the session's token (promote scope, CSRF token).",
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "csrf": {
          "type": "string"
         },
         "action": {
          "type": "string"
         },
         "model": {
          "type": "string"
         },
         "environment": {
          "type": "string"
         },
         "version": {
          "type": "string"
         },
         "uri": {
          "type": "string"
         },
         "reason": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "Accepted; to /?promotion=ID.",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "401": {
      "description": "No session.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Missing or wrong CSRF token, cross-site, or no promote scope.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "422": {
      "description": "The request cannot be promoted.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "501": {
      "description": "advance is not available yet.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/healthz": {
   "get": {
    "operationId": "getHealth",
    "summary": "Liveness.",
    "responses": {
     "200": {
      "description": "Alive.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Health"
        }
       }
      }
     }
    }
   }
  },
  "/readyz": {
   "get": {
    "operationId": "getReady",
    "summary": "Readiness: the store answers and the workers take work.",
    "responses": {
     "200": {
      "description": "Ready.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Health"
        }
       }
      }
     },
     "503": {
      "description": "Shutting down, or the state store does not answer.",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/metrics": {
   "get": {
    "operationId": "getMetrics",
    "summary": "Prometheus metrics (text exposition format 0.0.4).",
    "responses": {
     "200": {
      "description": "Metrics.",
      "content": {
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/openapi.json": {
   "get": {
    "operationId": "getOpenAPI",
    "summary": "This document.",
    "responses": {
     "200": {
      "description": "The OpenAPI document.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     }
    }
   }
  }
 },
 "components": {
  "securitySchemes": {
   "bearer": {
    "type": "http",
    "scheme": "bearer"
   },
   "standardWebhooks": {
    "type": "apiKey",
    "in": "header",
    "name": "webhook-signature",
    "description": "Standard Webhooks: v1,<base64 HMAC-SHA256 of webhook-id.webhook-timestamp.body> with a whsec_ secret."
   },
   "readToken": {
    "type": "http",
    "scheme": "bearer",
    "description": "A service.access token with the read scope."
   },
   "promoteToken": {
    "type": "http",
    "scheme": "bearer",
    "description": "A service.access token with the promote scope."
   }
  },
  "schemas": {
   "Problem": {
    "type": "object",
    "required": [
     "type",
     "title",
     "status"
    ],
    "properties": {
     "type": {
      "type": "string"
     },
     "title": {
      "type": "string"
     },
     "status": {
      "type": "integer"
     },
     "detail": {
      "type": "string"
     },
     "errors": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "field",
        "message"
       ],
       "properties": {
        "field": {
         "type": "string"
        },
        "message": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "Accepted": {
    "type": "object",
    "required": [
     "id",
     "status",
     "statusUrl"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "status": {
      "$ref": "#/components/schemas/State"
     },
     "statusUrl": {
      "type": "string"
     }
    }
   },
   "WebhookResult": {
    "type": "object",
    "required": [
     "status"
    ],
    "properties": {
     "status": {
      "type": "string"
     },
     "detail": {
      "type": "string"
     },
     "reason": {
      "type": "string"
     }
    }
   },
   "State": {
    "type": "string",
    "enum": [
     "queued",
     "running",
     "awaiting-review",
     "done",
     "failed",
     "superseded"
    ]
   },
   "NativeEvent": {
    "type": "object",
    "required": [
     "model",
     "version",
     "uri"
    ],
    "properties": {
     "model": {
      "type": "string"
     },
     "version": {
      "type": "string"
     },
     "uri": {
      "type": "string"
     },
     "metrics": {
      "type": "object",
      "additionalProperties": {
       "type": "number"
      }
     },
     "source": {
      "type": "object",
      "properties": {
       "commit": {
        "type": "string"
       },
       "runUrl": {
        "type": "string"
       },
       "pipeline": {
        "type": "string"
       }
      }
     },
     "idempotencyKey": {
      "type": "string"
     },
     "environments": {
      "type": "array",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "Step": {
    "type": "object",
    "required": [
     "environment",
     "action",
     "at"
    ],
    "properties": {
     "environment": {
      "type": "string"
     },
     "action": {
      "type": "string"
     },
     "at": {
      "type": "string"
     },
     "commit": {
      "type": "string"
     },
     "pullRequestNumber": {
      "type": "integer"
     },
     "pullRequestUrl": {
      "type": "string"
     },
     "detail": {
      "type": "string"
     }
    }
   },
   "Promotion": {
    "type": "object",
    "required": [
     "id",
     "model",
     "version",
     "uri",
     "state",
     "steps"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "model": {
      "type": "string"
     },
     "version": {
      "type": "string"
     },
     "uri": {
      "type": "string"
     },
     "state": {
      "$ref": "#/components/schemas/State"
     },
     "origin": {
      "type": "string"
     },
     "detail": {
      "type": "string"
     },
     "createdAt": {
      "type": "string"
     },
     "updatedAt": {
      "type": "string"
     },
     "metrics": {
      "type": "object",
      "additionalProperties": {
       "type": "number"
      }
     },
     "environments": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "steps": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Step"
      }
     }
    }
   },
   "Status": {
    "type": "object",
    "required": [
     "environments",
     "models",
     "promotions",
     "reconciledAt"
    ],
    "properties": {
     "environments": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "name",
        "mode",
        "branch"
       ],
       "properties": {
        "name": {
         "type": "string"
        },
        "mode": {
         "type": "string"
        },
        "branch": {
         "type": "string"
        }
       }
      }
     },
     "models": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "model",
        "declared",
        "pending",
        "environments"
       ],
       "properties": {
        "model": {
         "type": "string"
        },
        "declared": {
         "type": "boolean"
        },
        "pending": {
         "type": "array",
         "items": {
          "type": "object",
          "required": [
           "id",
           "version",
           "state"
          ],
          "properties": {
           "id": {
            "type": "string"
           },
           "version": {
            "type": "string"
           },
           "state": {
            "type": "string"
           }
          }
         }
        },
        "environments": {
         "type": "array",
         "items": {
          "type": "object",
          "required": [
           "name",
           "spec",
           "drift"
          ],
          "properties": {
           "name": {
            "type": "string"
           },
           "spec": {
            "type": "object",
            "required": [
             "path",
             "state"
            ],
            "properties": {
             "path": {
              "type": "string"
             },
             "value": {
              "type": "string"
             },
             "version": {
              "type": "string"
             },
             "commit": {
              "type": "string"
             },
             "error": {
              "type": "string"
             },
             "state": {
              "type": "string",
              "enum": [
               "present",
               "missing",
               "unreadable"
              ]
             }
            }
           },
           "version": {
            "type": "string"
           },
           "uri": {
            "type": "string"
           },
           "commit": {
            "type": "string"
           },
           "since": {
            "type": "string"
           },
           "metrics": {
            "type": "object",
            "additionalProperties": {
             "type": "number"
            }
           },
           "proposed": {
            "type": "object",
            "required": [
             "version",
             "uri",
             "metrics",
             "proposedAt",
             "gates"
            ],
            "properties": {
             "version": {
              "type": "string"
             },
             "uri": {
              "type": "string"
             },
             "promotionId": {
              "type": "string"
             },
             "state": {
              "type": "string"
             },
             "proposedAt": {
              "type": "string"
             },
             "metrics": {
              "type": "object",
              "additionalProperties": {
               "type": "number"
              }
             },
             "pullRequest": {
              "type": "object",
              "required": [
               "number",
               "url"
              ],
              "properties": {
               "number": {
                "type": "integer"
               },
               "url": {
                "type": "string"
               },
               "title": {
                "type": "string"
               }
              }
             },
             "gates": {
              "type": "array",
              "items": {
               "type": "object",
               "required": [
                "metric",
                "expression",
                "outcome",
                "detail"
               ],
               "properties": {
                "metric": {
                 "type": "string"
                },
                "expression": {
                 "type": "string"
                },
                "outcome": {
                 "type": "string"
                },
                "detail": {
                 "type": "string"
                }
               }
              }
             }
            }
           },
           "drift": {
            "type": "array",
            "items": {
             "type": "object",
             "required": [
              "kind",
              "expected",
              "actual",
              "action",
              "seenAt"
             ],
             "properties": {
              "kind": {
               "type": "string"
              },
              "expected": {
               "type": "string"
              },
              "actual": {
               "type": "string"
              },
              "action": {
               "type": "string"
              },
              "detail": {
               "type": "string"
              },
              "seenAt": {
               "type": "string"
              }
             }
            }
           }
          }
         }
        }
       }
      }
     },
     "promotions": {
      "type": "object",
      "additionalProperties": {
       "type": "integer"
      }
     },
     "reconciledAt": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "Health": {
    "type": "object",
    "required": [
     "status"
    ],
    "properties": {
     "status": {
      "type": "string"
     }
    }
   },
   "PromotionRequest": {
    "type": "object",
    "required": [
     "action"
    ],
    "additionalProperties": false,
    "properties": {
     "action": {
      "type": "string",
      "enum": [
       "release",
       "rollback",
       "advance"
      ]
     },
     "model": {
      "type": "string"
     },
     "version": {
      "type": "string"
     },
     "uri": {
      "type": "string"
     },
     "environment": {
      "type": "string"
     },
     "reason": {
      "type": "string"
     }
    }
   },
   "Audit": {
    "type": "object",
    "required": [
     "entries"
    ],
    "properties": {
     "entries": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "at",
        "actor",
        "action",
        "model",
        "environment",
        "version",
        "detail"
       ],
       "properties": {
        "at": {
         "type": "string"
        },
        "actor": {
         "type": "string"
        },
        "action": {
         "type": "string"
        },
        "model": {
         "type": [
          "string",
          "null"
         ]
        },
        "environment": {
         "type": [
          "string",
          "null"
         ]
        },
        "version": {
         "type": [
          "string",
          "null"
         ]
        },
        "detail": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  }
 }
}
"""#
}
