"""The demo company: a deterministic, realistic B2B software seller (`attain demo`).

Same seed → identical rows (`attain.demo.company.generate(seed).fingerprint()`). Generation is pure
Python/numpy (no database); `attain.demo.load` bulk-inserts the rows in one transaction.

The company
- 4 regions (NAE, NAW, EMEA, APAC); a VP, 4 region directors and 7 first-line managers (12 leaders);
  86 AEs (enterprise and commercial teams; 2 APAC seats added in 2026), 24 SDRs, 10 product overlay
  specialists (Data, Analytics, Security) and 2 channel managers: 122 quota-carrying reps.
- 6,000 accounts in 86 real cities (coordinates jittered), real postal-code shapes, 12 industries,
  segment by employees (enterprise ≥ 2,000, mid-market ≥ 200, else SMB), 120 parents with subsidiaries.
- 20 products in 5 families; USD, EUR, GBP with daily FX rates.
- Territories WORLD → region → team area → one per AE, with country, postal-prefix, segment,
  industry and named-account rules; AccountTerritory is computed from the rules at every change.
- FY2025 and FY2026 (to 30 November 2026, AS_OF), calendar fiscal year; FY2025 periods closed.

People events (attain.demo.org): terminations with replacements (AE-NAE-05, SDR-NAE-03, AE-EMEA-09,
AE-APAC-04, AE-NAE-17), a vacancy left open (AE-EMEA-20 from 1 Oct 2026, covered by AE-EMEA-19),
transfers (AE-NAE-08's holder moves to AE-NAW-20 on 1 Jul 2025; SDR-NAW-02's holder is promoted to
AE-NAW-12 on 6 Oct 2025; AE-EMEA-03's holder becomes manager MGR-EMEA-2 on 2 Mar 2026), new APAC seats
in 2026, an SDR reorganisation on 1 Jan 2026 (SDRs move from directors to commercial managers), and
leaves of absence in 2026 (AE-NAE-03's holder on parental leave 4 May – 31 Jul, MGR-APAC-1's on a
sabbatical 3–28 Aug, so the Q3 objectives pay 66/92 of the quarter, SDR-EMEA-02's on unpaid leave 7–25 Sep).

Territory moves (attain.demo.territories): a postal area moves between NAW commercial territories on
1 Jul 2025 and between EMEA commercial territories on 1 Apr 2026; APAC enterprise accounts move to
the new territories APAC-13/14 on 1 Jan 2026. The losing AEs get quota relief for the rest of the year.

Planted facts (for analytics, forecasting and coaching to find)
- Seasonality: about a third of FY2025 bookings fall in Q4 and over 40% in the second half of the
  quarter-end months (against ~17% of the calendar); weekends are quiet.
- Heavy tails: deal sizes are log-normal by segment; the top 10% of FY2025 orders carry ~45% of value.
- AE-NAW-16 (weak discovery): converts discovery → proposal about 10% of the time against a peer median
  of about 44%.
- AE-NAW-19 (weak negotiation): wins about 29% of opportunities that reach negotiation (peers ~66%).
- AE-NAE-21 (low activity): logs about 0.65 activities per opportunity (peers ~2.2) and creates about
  half the opportunities of peers.
- SDR-NAW-05 sources about a third as many opportunities as the other NAW SDRs.
- AE-NAW-15 is an ordinary, healthy AE; AE-NAW-15, -16 and -19 share the demo manager MGR-NAW-2.
- About 56% of fully ramped AEs reach their FY2025 quota (median attainment ≈ 102%).
- Credit notes: ~1.5% of deals are cancelled (all lines reversed) and ~1% of invoiced lines credited.

Demo logins: see attain.demo.users (password `attain-demo`).
"""
