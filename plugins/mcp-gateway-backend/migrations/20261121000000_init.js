// @ts-check

/**
 * The gateway's durable state: the audit trail, the kill switch, the shared
 * rate-limit counters, and secrets every replica must share.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('audit_records', table => {
    table.comment('One record per MCP request, refusal and admin action');
    table.string('id', 36).primary().notNullable().comment('A UUID');
    table
      .bigInteger('created_at')
      .notNullable()
      .comment('When the request was admitted, in milliseconds since the epoch');
    table.string('replica', 255).notNullable().comment('Which backend replica');
    table.string('request_id', 36).notNullable().comment('The HTTP request');
    table.string('agent_id', 255).nullable();
    table.string('principal', 255).nullable();
    table.string('on_behalf_of', 255).nullable().comment('The signed-in user');
    table.string('actor', 255).nullable().comment('The plugin calling for the user');
    table.string('client_name', 255).nullable();
    table.string('client_version', 255).nullable();
    table.string('protocol_version', 64).nullable();
    table.string('method', 255).notNullable().comment('MCP method or admin action');
    table.string('operation_kind', 32).nullable();
    table.string('operation_name', 255).nullable();
    table.string('access', 32).nullable();
    table.string('source', 255).nullable();
    table.text('arguments').nullable().comment('JSON, masked and size-capped');
    table
      .string('decision', 32)
      .notNullable()
      .comment('allowed or refused; pending while a write runs');
    table.string('stage', 32).nullable();
    table.string('reason', 64).nullable().comment('Machine-readable reason code');
    table.string('outcome', 32).notNullable().comment('ok, error or pending');
    table.text('message').nullable().comment('Why it did not succeed');
    table.integer('duration_ms').nullable();
    table.integer('result_bytes').nullable();
    table.index(['created_at', 'id'], 'audit_records_created_idx');
    table.index(['agent_id', 'created_at'], 'audit_records_agent_idx');
    table.index(['on_behalf_of', 'created_at'], 'audit_records_user_idx');
    table.index(['request_id'], 'audit_records_request_idx');
  });

  await knex.schema.createTable('control_switches', table => {
    table.comment('The kill switch: the whole gateway (*) and each agent');
    table.string('target', 255).primary().notNullable().comment('* or an agent id');
    table.boolean('off').notNullable().comment('Stopped (gateway) or disabled (agent)');
    table.text('reason').nullable();
    table.string('changed_by', 255).notNullable();
    table.bigInteger('changed_at').notNullable().comment('Milliseconds since the epoch');
  });

  await knex.schema.createTable('rate_counters', table => {
    table.comment('Fixed-window request counters shared by all replicas');
    table.string('bucket', 255).notNullable().comment('Agent and budget');
    table.bigInteger('window_start').notNullable().comment('Milliseconds since the epoch');
    table.integer('count').notNullable();
    table.primary(['bucket', 'window_start']);
  });

  await knex.schema.createTable('shared_secrets', table => {
    table.comment('Secrets every replica must share, created once');
    table.string('name', 255).primary().notNullable();
    table.text('value').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('shared_secrets');
  await knex.schema.dropTable('rate_counters');
  await knex.schema.dropTable('control_switches');
  await knex.schema.dropTable('audit_records');
};
