/**
 * The printable 《顾客信息反馈处理单》 (customer feedback handling form, X-1): every field,
 * the corrective actions, the written response, the customer's verification, and the
 * signatures (who, which department, when) taken from the audit trail. Pure: data in, HTML out.
 * Every value is escaped, so text like "<script>" prints as text and never runs.
 */
import { DateTime } from 'luxon';

export function escapeHtml(v: unknown): string {
  return String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface FormInput {
  company: string;
  complaint: Record<string, any>;
  customer: { code?: string; name?: string; contact_person?: string | null; phone?: string | null } | null;
  contract: { code?: string; title?: string } | null;
  actions: Record<string, any>[];
  trail: Record<string, any>[];
  zone: string;
  departments?: string[];
}

const STATUS: Record<string, string> = {
  received: '已受理 Received',
  investigating: '调查中 Investigating',
  action: '纠正措施中 Corrective action',
  responded: '已答复 Responded',
  verifying: '顾客验证中 Customer verifying',
  closed: '已关闭 Closed',
  reopened: '重新打开 Reopened',
};
const CHANNEL: Record<string, string> = { visit: '来访', phone: '电话', mail: '邮件', hotline: '热线', letter: '信函', web: '网页表单' };
const CAUSE: Record<string, string> = { material: '材料', process: '工艺', design: '设计', transport: '运输/包装', usage: '顾客使用', service: '服务', other: '其他' };
const DISPOSITION: Record<string, string> = { none: '无', return: '退货', nonconforming: '按不合格品程序处理' };
const VERIFICATION: Record<string, string> = { confirmed: '确认 Confirmed', rejected: '不认可 Rejected' };
const ACTION_STATUS: Record<string, string> = { open: '进行中', done: '已完成', verified: '已验证', overdue: '已超期' };
const STEP: Record<string, string> = {
  create: '受理 Intake',
  investigating: '开始调查 Investigation',
  action: '原因分析完成/制定措施 Root cause & actions',
  responded: '书面答复 Written response',
  verifying: '顾客复核 Customer re-verification',
  closed: '关闭 Closed',
  reopened: '重新打开 Reopened',
};

function when(v: unknown, zone: string): string {
  if (v === null || v === undefined || v === '') return '';
  const d = v instanceof Date ? v : typeof v === 'number' || /^\d+$/.test(String(v)) ? new Date(Number(v)) : new Date(String(v));
  if (Number.isNaN(d.getTime())) return '';
  return DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

const yes = (v: unknown) => v === true || v === 1 || v === '1';
const person = (r: Record<string, any>) => [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email || '';

export function renderComplaintForm(input: FormInput): string {
  const { complaint: c, zone } = input;
  const e = escapeHtml;
  const row = (label: string, value: string, raw = false) => `<tr><th>${label}</th><td>${raw ? value : e(value)}</td></tr>`;
  const block = (label: string, value: unknown) => `<tr><th>${label}</th><td class="text">${e(value)}</td></tr>`;
  const pauses = (() => {
    try {
      const p = typeof c.pauses === 'string' ? JSON.parse(c.pauses) : c.pauses;
      return Array.isArray(p) ? p : [];
    } catch {
      return [];
    }
  })();

  const actions = input.actions.length
    ? input.actions
        .map(
          (a, i) =>
            `<tr><td>${i + 1}</td><td class="text">${e(a.title)}</td><td>${e(person(a))}</td><td>${e(a.department ?? '')}</td><td>${e(when(a.due_at, zone))}</td><td>${e(ACTION_STATUS[a.status] ?? a.status)}</td><td>${e(when(a.done_at, zone))}</td></tr>`,
        )
        .join('')
    : `<tr><td colspan="7">无 None</td></tr>`;

  const signatures = input.trail
    .map((t) => {
      const step = t.action === 'create' ? STEP.create : t.action === 'transition' ? STEP[t.to_status] ?? t.to_status : t.action === 'verification' ? '顾客验证 Verification' : t.action;
      const who = t.department === 'customer' ? '顾客 Customer' : person(t) || (t.department === 'system' ? '系统 System' : '');
      const dept = t.department || (yes(t.as_admin) ? '管理员 admin' : '');
      return `<tr><td>${e(step)}</td><td>${e(who)}</td><td>${e(dept)}</td><td>${e(when(t.at, zone))}</td></tr>`;
    })
    .join('');

  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>顾客信息反馈处理单 ${e(c.code)}</title>
<style>
  body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 11pt; margin: 16mm; color: #000; }
  header { text-align: center; margin-bottom: 8mm; }
  header .company { font-size: 14pt; font-weight: bold; }
  header h1 { font-size: 16pt; margin: 2mm 0; }
  header .no { text-align: right; }
  table { width: 100%; border-collapse: collapse; margin-bottom: 5mm; page-break-inside: auto; }
  th, td { border: 1px solid #000; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
  th { width: 28%; background: #f2f2f2; font-weight: normal; }
  td.text { white-space: pre-wrap; word-break: break-word; }
  h2 { font-size: 12pt; margin: 4mm 0 2mm; }
  tr { page-break-inside: avoid; }
  @page { size: A4; margin: 12mm; }
  @media print { body { margin: 0; } th { background: none; } .noprint { display: none; } }
</style>
</head>
<body>
<header>
  <div class="company">${e(input.company)}</div>
  <h1>顾客信息反馈处理单<br><small>Customer Feedback Handling Form</small></h1>
  <div class="no">编号 No.: ${e(c.code)}</div>
</header>
<h2>一、顾客反馈 Feedback (CP-1)</h2>
<table>
${row('顾客 Customer', `${input.customer?.code ?? ''} ${input.customer?.name ?? ''}`.trim())}
${row('联系人 Contact', [input.customer?.contact_person, input.customer?.phone].filter(Boolean).join(' '))}
${row('合同 Contract', input.contract ? `${input.contract.code ?? ''} ${input.contract.title ?? ''}`.trim() : '')}
${row('产品 / 批号 Product / batch', [c.product, c.batch].filter(Boolean).join(' / '))}
${row('渠道 Channel', CHANNEL[c.channel] ? `${CHANNEL[c.channel]} ${c.channel}` : c.channel ?? '')}
${row('受理时间 Received', when(c.received_at, zone))}
${row('状态 Status', STATUS[c.status] ?? c.status ?? '')}
${row('摘要 Summary', c.summary ?? '')}
${block('顾客反馈内容 Customer feedback', c.description)}
</table>
<h2>二、调查与原因分析 Investigation (CP-2)</h2>
<table>
${block('内部追溯 Internal traceability', c.traceability)}
${row('原因类别 Root cause category', c.root_cause_category ? `${CAUSE[c.root_cause_category] ?? ''} ${c.root_cause_category}` : '')}
${block('原因分析 Root cause', c.root_cause)}
${row('责任部门 Responsible department', c.responsible_department ?? '')}
${row('已交付产品处置 Product disposition (CP-6)', c.product_disposition ? `${DISPOSITION[c.product_disposition] ?? ''} ${c.product_disposition}` : '')}
</table>
<h2>三、纠正措施 Corrective actions (CP-3)</h2>
<table>
<tr><th>#</th><th>措施 Action</th><th>负责人 Owner</th><th>部门 Dept.</th><th>期限 Due</th><th>状态 Status</th><th>完成 Done</th></tr>
${actions}
</table>
<h2>四、书面答复 Written response (CP-4)</h2>
<table>
${row('答复期限 Response due', when(c.response_due_at, zone))}
${row('答复时间 Responded', when(c.responded_at, zone))}
${row('答复超期 Response late', yes(c.response_breached) ? '是 Yes' : '否 No')}
${row('处理完成期限 Resolution due', when(c.resolution_due_at, zone))}
${row('计时暂停 Clock pauses', pauses.map((p: any) => `${when(p.from, zone)} – ${p.to ? when(p.to, zone) : '…'} ${p.reason ?? ''}`).join('\n'))}
${block('答复内容 Response', c.response_content)}
</table>
<h2>五、顾客复核 Customer verification (CP-5)</h2>
<table>
${row('验证结果 Verification', c.verification ? VERIFICATION[c.verification] ?? c.verification : '')}
${row('验证时间 Verified at', when(c.verified_at, zone))}
${block('验证说明 Note', c.verification_note)}
${block('无法验证的原因 Why no verification', c.no_verification_reason)}
</table>
<h2>六、签署 Signatures</h2>
<table>
<tr><th>环节 Step</th><th>签名 Name</th><th>部门 Department</th><th>时间 Date</th></tr>
${signatures || '<tr><td colspan="4"></td></tr>'}
</table>
</body>
</html>
`;
}
