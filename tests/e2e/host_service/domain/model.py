"""The host service's domain model: orders, and the tiny "model" trained on them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

MARKER = "host-service-domain"


@dataclass(frozen=True)
class Order:
    """One order the host service took."""

    order_id: str
    sku: str
    quantity: int
    unit_price_cents: int

    def as_csv_row(self) -> str:
        return f"{self.order_id},{self.sku},{self.quantity},{self.unit_price_cents}"


def train_price_model(orders: Iterable[Order]) -> bytes:
    """The mean unit price of each SKU, serialized as the host would ship it."""
    totals: dict[str, list[int]] = {}
    for order in orders:
        totals.setdefault(order.sku, []).append(order.unit_price_cents)
    means = {sku: sum(prices) / len(prices) for sku, prices in sorted(totals.items())}
    return json.dumps({"kind": "mean-price", "means": means}, sort_keys=True).encode()
