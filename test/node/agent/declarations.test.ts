// package.json `contributes.languageModelTools` against the tools' own table (src/agent/): the same
// names, descriptions and input JSON Schemas (made from the zod inputs), names VS Code and the
// models accept, a `#` reference for each, and the write tool hidden by the writes setting.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { toolInputJsonSchema } from '../../../src/agent/jsonSchemas';
import { TOOL_DESCRIPTIONS } from '../../../src/agent/toolInputs';
import { AGENT_TOOL_NAMES, WRITE_ONLY_TOOLS } from '../../../src/agent/toolNames';

const ROOT = path.resolve(__dirname, '../../../..');

interface ToolContribution {
  name: string;
  displayName: string;
  modelDescription: string;
  userDescription?: string;
  toolReferenceName?: string;
  canBeReferencedInPrompt?: boolean;
  when?: string;
  inputSchema?: unknown;
}

function contributed(): ToolContribution[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { languageModelTools: ToolContribution[] } };
  return manifest.contributes.languageModelTools;
}

void describe('language-model tool declarations', () => {
  void it('declare exactly the tools of src/agent, with their descriptions and input schemas', () => {
    const tools = contributed();
    assert.deepEqual(
      tools.map((tool) => tool.name),
      [...AGENT_TOOL_NAMES],
    );
    for (const tool of tools) {
      const own = TOOL_DESCRIPTIONS[tool.name as keyof typeof TOOL_DESCRIPTIONS];
      assert.equal(tool.displayName, own.displayName, tool.name);
      assert.equal(tool.modelDescription, own.modelDescription, tool.name);
      assert.equal(tool.userDescription, own.userDescription, tool.name);
      assert.equal(tool.toolReferenceName, own.toolReferenceName, tool.name);
      assert.deepEqual(
        tool.inputSchema,
        toolInputJsonSchema(tool.name as (typeof AGENT_TOOL_NAMES)[number]),
        `${tool.name}: run the tools' JSON Schema into package.json`,
      );
    }
  });

  void it('use names VS Code and the models accept, and can be referenced with #', () => {
    for (const tool of contributed()) {
      assert.match(tool.name, /^(?!copilot_|vscode_)[\w-]+$/);
      assert.equal(tool.canBeReferencedInPrompt, true, tool.name);
      assert.match(tool.toolReferenceName ?? '', /^[\w-]+$/, `${tool.name}: canBeReferencedInPrompt needs a toolReferenceName`);
    }
  });

  void it('hide the tools that only write when stcrm.agentTools.writes is off, and only those', () => {
    for (const tool of contributed()) {
      assert.equal(tool.when, (WRITE_ONLY_TOOLS as readonly string[]).includes(tool.name) ? 'config.stcrm.agentTools.writes != off' : undefined, tool.name);
    }
  });
});
