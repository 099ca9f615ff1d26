/** What a report is cut to: `to` is exclusive (epoch ms); `number` is one of our numbers. */
export interface ReportFilter {
  from: number;
  to: number;
  number?: string;
  /** Cost attribution filters (views/attribution.ts): calls and messages reports. */
  billingGroup?: string;
  connection?: string;
  profile?: string;
  tag?: string;
  country?: string;
}
