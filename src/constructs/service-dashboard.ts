import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ServiceApi } from './service-api';

/**
 * Properties of a `ServiceDashboard`.
 */
export interface ServiceDashboardProps {
  /**
   * Name of the dashboard.
   */
  readonly dashboardName: string;

  /**
   * The API to show.
   */
  readonly serviceApi: ServiceApi;
}

/**
 * A CloudWatch dashboard of one stage: the rollback alarms first, then traffic,
 * errors, latency and capacity of the API and its function.
 */
export class ServiceDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const { api, liveAlias, alarms } = props.serviceApi;
    const period = Duration.minutes(1);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms that roll a deployment back', alarms, width: 24, height: 3 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Requests and errors',
        left: [api.metricCount({ period, statistic: 'Sum' })],
        right: [api.metricClientError({ period, statistic: 'Sum' }), api.metricServerError({ period, statistic: 'Sum' })],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency',
        left: ['p50', 'p90', 'p99'].map((statistic) => api.metricLatency({ period, statistic, label: statistic })),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Function invocations, errors and throttles',
        left: [liveAlias.metricInvocations({ period }), liveAlias.metricErrors({ period }), liveAlias.metricThrottles({ period })],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function duration',
        left: ['p50', 'p99', 'Maximum'].map((statistic) => liveAlias.metricDuration({ period, statistic, label: statistic })),
        width: 12,
      }),
    );
  }
}
