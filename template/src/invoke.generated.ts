import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { Context } from 'aws-lambda';
import { handler } from './handler.generated';

// Runs the Lambda handler locally with event files, exactly as API Gateway, an ALB or a
// function URL would call it, and prints each response:
//   npx projen invoke [event.json ...]      (default: every sample in test/events)
const EVENTS_DIR = join('test', 'events');
const files = process.argv.length > 2
  ? process.argv.slice(2)
  : readdirSync(EVENTS_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => join(EVENTS_DIR, f));

const context = {
  awsRequestId: 'local-invoke',
  functionName: 'local',
  functionVersion: '$LATEST',
  memoryLimitInMB: '512',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

async function main(): Promise<void> {
  for (const file of files) {
    const event = JSON.parse(readFileSync(file, 'utf8'));
    try {
      const response = await handler(event, context);
      console.log(`${file}\n${JSON.stringify(response, null, 2)}\n`);
    } catch (error) {
      console.log(`${file}\nrefused: ${(error as Error).message}\n`);
    }
  }
}

void main();
