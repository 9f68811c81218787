"""What the pipeline tells the apps built on it, without depending on them.

``project_facts_changed`` is sent (with ``project_id``) after a service records a fact that a computation
over the project may read: a milestone or capital in place. The awards app recomputes the project's open
applications on it (once the change commits), so a new capital record shows in an award at once rather than
with the nightly recompute.
"""

from django.dispatch import Signal

project_facts_changed = Signal()
