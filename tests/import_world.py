"""A small company as CSV text, one file per entity, in import order (shared by the import tests)."""

from __future__ import annotations

from pathlib import Path

WORLD = {
    "currencies": "code,name,minor_units,rounding\nUSD,US dollar,2,half_up\nEUR,Euro,2,\nJPY,Yen,0,half_even\n",
    "fx_rates": "from_currency,to_currency,rate_date,rate\nEUR,USD,2026-03-31,1.0835\n",
    "periods": "name,kind,fiscal_year,number,start_date,end_date\nFY2026,year,2026,1,2026-01-01,2026-12-31\n"
               "FY2026-Q1,quarter,2026,1,2026-01-01,2026-03-31\nFY2026-M03,month,2026,3,2026-03-01,2026-03-31\n",
    "product_families": "code,name\nANALYTICS,Analytics\nCORE,Core\n",
    "participants": "employee_id,first_name,last_name,email,hire_date,currency,country\n"
                    "E1,Ada,Lovelace,ada@example.com,2024-02-01,USD,GB\nE2,Alan,Turing,,2025-01-06,EUR,gb\n",
    "positions": "code,name,kind,quota_carrying,product_family,created_on\nMGR-1,Manager,manager,false,,2024-01-01\n"
                 "AE-1,Account Executive 1,ae,true,,2024-01-01\nOV-1,Overlay,overlay,yes,ANALYTICS,2024-01-01\n",
    "reporting_lines": "position,manager_position,valid_from,valid_to\nAE-1,MGR-1,2026-01-01,\n"
                       "OV-1,MGR-1,2025-01-01,2025-12-31\nOV-1,MGR-1,2026-01-01,\n",
    "position_holders": "participant,position,valid_from,valid_to\nE1,AE-1,2026-01-01,\nE2,OV-1,2026-01-01,\n",
    "leaves": "participant,start_date,end_date,kind,prorate,note\nE1,2026-08-01,2026-08-31,parental,true,\n"
              "E2,2026-02-02,2026-02-06,,false,Unpaid week\n",
    "accounts": "external_id,name,country,segment,annual_revenue,parent,latitude\n"
                "A-2,Acme Europe,DE,smb,-100,A-1,52.52\nA-1,Acme,US,enterprise,250000000.50,,37.789\n",
    "products": "sku,name,family,list_price,unit_cost,currency,recurring\n"
                "AN-1,Analytics Pro,ANALYTICS,12000.00,1500,USD,true\nCO-1,Core,CORE,100,10,USD,false\n",
    "territories": "code,name,level,parent\nWEST-1,West 1,territory,WEST\nWEST,West,region,\n",
    "territory_rules": "territory,kind,value,account,priority,valid_from\nWEST-1,country,US,,10,2026-01-01\n"
                       "WEST,named_account,,A-1,,2026-01-01\n",
    "territory_positions": "territory,position,role,valid_from\nWEST-1,AE-1,primary,2026-01-01\n",
    "account_territories": "account,territory,source,valid_from,valid_to\nA-1,WEST-1,rule,2026-01-01,\n",
    "opportunities": "external_id,name,account,owner_position,amount,currency,stage,created_date,"
                     "expected_close_date,outcome\nO-1,Acme deal,A-1,AE-1,48000.00,USD,Negotiation,2026-01-10,"
                     "2026-03-31,open\n",
    "opportunity_stages": "opportunity,stage,entered_on,amount\nO-1,Proposal,2026-02-02,48000\n",
    "transactions": "external_id,kind,booked_date,account,product,amount,currency,owner_position,original,cost\n"
                    "T-2,credit_note,2026-03-20,A-1,AN-1,-1200.10,USD,AE-1,T-1,\n"
                    "T-1,booking,2026-03-14,A-1,AN-1,12345678901.1234,USD,AE-1,,0.0001\n",
    "credit_splits": "transaction,position,share\nT-1,AE-1,0.7\nT-1,OV-1,0.3\n",
    "customer_payments": "external_id,transaction,paid_on,amount\nRCPT-1,T-1,2026-04-12,6000.00\n",
    "activities": "external_id,participant,opportunity,account,kind,occurred_on,duration_minutes,qualified\n"
                  "ACT-1,E1,O-1,,meeting,2026-02-03,30,true\n",
    "quotas": "position,period,measure,amount,currency,ramp\nAE-1,FY2026-Q1,new_bookings,250000,USD,0.5\n",
    "plans": "code,name,currency\nAE-2026,Account Executive 2026,USD\n",
    "plan_assignments": "position,plan,target_incentive,currency,valid_from\nAE-1,AE-2026,60000,USD,2026-01-01\n",
    "goals": "name,period,position,kind,parent,parent_position,target,weight\n"
             "Grow pipeline,FY2026,AE-1,quantitative,Company pipeline,,1000000,0.3\n"
             "Company pipeline,FY2026,,quantitative,,,5000000,1\n",
}


def write(folder: Path, entity: str, text: str | None = None, suffix: str = ".csv") -> Path:
    path = folder / f"{entity}{suffix}"
    path.write_text(WORLD[entity] if text is None else text, encoding="utf-8")
    return path


def default_calendar():
    from attain.apps.core.models import FiscalCalendar

    return FiscalCalendar.objects.create(name="Default", is_default=True)


def load_world(folder: Path, upto: str | None = None) -> dict:
    """Import every entity (up to and excluding `upto`); return the results by entity."""
    from attain.apps.imports.services import import_file

    default_calendar()
    results = {}
    for entity in WORLD:
        if entity == upto:
            break
        results[entity] = import_file(entity, write(folder, entity))
        assert results[entity].problems == [], (entity, results[entity].problems)
    return results
