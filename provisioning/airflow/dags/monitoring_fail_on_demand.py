"""Fails whenever it is triggered (no schedule): the end-to-end tests trigger it to fire the DAG-failure alert.

Trigger it from the Airflow UI, or: POST /api/v2/dags/monitoring_fail_on_demand/dagRuns with {"logical_date": null}.
Unpaused from its creation, so a triggered run runs instead of waiting in the queue (Airflow pauses new DAGs by default).
"""
from datetime import datetime

from airflow.sdk import dag, task


@dag(schedule=None, start_date=datetime(2026, 1, 1), catchup=False, tags=["monitoring"], is_paused_upon_creation=False)
def monitoring_fail_on_demand():
    @task(retries=0)
    def fail():
        raise RuntimeError("Failing on demand, as asked (monitoring alert test).")

    fail()


monitoring_fail_on_demand()
