import { ModuleList, type ModuleParts } from './module-list.ts';
import { askPlugin } from './modules/ask.ts';
import { azureMetricsPlugin } from './modules/azure-metrics.ts';
import { detectorsPlugin } from './modules/detectors.ts';
import { gpuPlugin } from './modules/gpu.ts';
import { helpPlugin } from './modules/help.ts';
import { incidentsPlugin } from './modules/incidents.ts';
import { inventoryPlugin } from './modules/inventory.ts';
import { mcpPlugin } from './modules/mcp.ts';
import { oncallPlugin } from './modules/oncall.ts';
import { pagingPlugin } from './modules/paging.ts';
import { queriesPlugin } from './modules/queries.ts';
import { remediationPlugin } from './modules/remediation.ts';
import { simDcgmExporterPlugin } from './modules/sim-dcgm-exporter.ts';
import { timelinePlugin } from './modules/timeline.ts';
import { viewsPlugin } from './modules/views.ts';

/**
 * Every module of the bot, named once, in the order their card additions, ticks and commands
 * appear. Each entry is the module's own plugin file under bot/modules/ (how it reads the config)
 * over its entry under handlers/ (what it does); what one needs of another is named in its type,
 * and a module placed before one it needs does not compile.
 */
export const MODULES = ModuleList.of<ModuleParts>()
  .add(incidentsPlugin)
  .add(remediationPlugin)
  .add(gpuPlugin)
  .add(simDcgmExporterPlugin)
  .add(queriesPlugin)
  .add(detectorsPlugin)
  .add(azureMetricsPlugin)
  .add(viewsPlugin)
  .add(oncallPlugin)
  .add(pagingPlugin)
  .add(timelinePlugin)
  .add(inventoryPlugin)
  .add(askPlugin)
  .add(mcpPlugin)
  .add(helpPlugin);
