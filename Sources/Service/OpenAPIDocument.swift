/// The OpenAPI 3.1 description of the service's own API, served at `/openapi.json`. Kept beside the handlers it
/// describes; `Tests/python/test_serve_api.py` runs schemathesis against it.
enum OpenAPIDocument {
    static let json = #"""
{
 "openapi": "3.1.0",
 "info": {
  "title": "Promote",
  "version": "1.0.0",
  "description": "GitOps promotion of ML model versions: event intake, promotion status, merge webhooks, health and metrics."
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
     }
    }
   }
  },
  "/v1/status": {
   "get": {
    "operationId": "getStatus",
    "summary": "What each environment runs and proposes, and promotions by state.",
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
   "LedgerEntry": {
    "type": "object",
    "required": [
     "model",
     "environment",
     "version",
     "uri",
     "status"
    ],
    "properties": {
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
     "status": {
      "type": "string"
     },
     "recordedAt": {
      "type": "string"
     },
     "commit": {
      "type": "string"
     },
     "pullRequestUrl": {
      "type": "string"
     },
     "promotionId": {
      "type": "string"
     }
    }
   },
   "Status": {
    "type": "object",
    "required": [
     "environments",
     "ledger",
     "promotions"
    ],
    "properties": {
     "environments": {
      "type": "array",
      "items": {
       "type": "object",
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
     "ledger": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/LedgerEntry"
      }
     },
     "promotions": {
      "type": "object",
      "additionalProperties": {
       "type": "integer"
      }
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
   }
  }
 }
}
"""#
}
