"""Print how much of each of Ukraine's units the shipped snapshots show as Russian-held.

Run from the repository root::

    python geodata/snapshot_shares.py

One table per shipped snapshot: Russian-held km², the unit's km² and the share, for every
unit with any Russian-held ground, then the whole country. The figures in
``geodata/SNAPSHOTS.md`` are this script's output.
"""

from __future__ import annotations

from territory import SHIPPED_SNAPSHOTS, snapshot


def share_table(name: str) -> str:
    """The per-unit table of one shipped snapshot, as aligned text."""
    table = snapshot(name).shares()
    held = table[table["russia_km2"] > 0].assign(order=lambda t: -t["russia_share"].round(3))
    held = held.sort_values(["order", "region_name"])
    lines = [
        f"{name}",
        f"{'unit':<22}{'held km2':>12}{'unit km2':>12}{'share':>9}",
    ]
    for iso, row in held.iterrows():
        label = f"{row['region_name']} ({iso})"
        lines.append(
            f"{label:<22}{row['russia_km2']:>12,.0f}{row['area_km2']:>12,.0f}"
            f"{row['russia_share']:>9.1%}"
        )
    total, area = table["russia_km2"].sum(), table["area_km2"].sum()
    lines.append(f"{'Ukraine':<22}{total:>12,.0f}{area:>12,.0f}{total / area:>9.1%}")
    return "\n".join(lines)


def main() -> None:
    print("\n\n".join(share_table(name) for name in SHIPPED_SNAPSHOTS))


if __name__ == "__main__":
    main()
