// @ts-check

/**
 * Scaffolder tasks started through the gateway, and for whom: the
 * scaffolder records a task's creator only for users, so a service
 * principal's tasks would otherwise belong to nobody.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('started_tasks', table => {
    table.comment('Scaffolder tasks run_template started, and for whom');
    table
      .string('task_id', 255)
      .primary()
      .notNullable()
      .comment("The scaffolder's task id");
    table.string('agent_id', 255).notNullable();
    table
      .string('owner', 255)
      .notNullable()
      .comment('The signed-in user the agent acted for, else the principal');
    table.string('template_ref', 255).notNullable();
    table
      .bigInteger('created_at')
      .notNullable()
      .comment('Milliseconds since the epoch');
    table.index(['agent_id', 'owner', 'created_at'], 'started_tasks_owner_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('started_tasks');
};
