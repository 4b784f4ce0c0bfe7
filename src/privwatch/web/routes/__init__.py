"""The dashboard's routes, one ``APIRouter`` per area; ``privwatch.web.app``
includes them all."""
