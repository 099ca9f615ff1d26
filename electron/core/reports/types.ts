/** What a report is cut to: `to` is exclusive (epoch ms); `number` is one of our numbers. */
export interface ReportFilter {
  from: number;
  to: number;
  number?: string;
}
