"""领导驾驶舱: the leaders' dashboard — targets by judgement, tasks by status, units by on-time rate,
districts on the key indicators, the next 30 days' deadlines; every figure links to its items."""
