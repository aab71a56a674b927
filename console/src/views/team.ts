import { InboxApiError, ok } from '@inbox-agents/sdk';
import { fill, h } from '../dom.js';
import { dayAndTime, teamLine, timeOfDay } from '../format.js';
import type { ConsoleContext, View } from '../main.js';
import { linkPanel, showHistory } from '../panels.js';

type Role = 'agent' | 'admin';
interface Member {
  agentId: string;
  name: string;
  email: string | null;
  role: Role;
  /** Its skills here: a chat requiring skills goes only to a member holding every one. */
  skills: string[];
}
interface Invitation {
  id: string;
  name: string;
  email: string;
  role: Role;
  state: string;
  expiresAt: string;
}

const ROLE_LABELS: Record<Role, string> = { agent: 'Agent', admin: 'Admin' };
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * My team: every agent of the chatbot, live, one's own row marked. For admins also each member's
 * role and skills (changeable), a sign-in link for a member who lost their browser, removal, the
 * history; and inviting colleagues, with the pending invitations.
 */
export function mount(container: HTMLElement, context: ConsoleContext): View {
  const { client, chatbotId, isAdmin } = context;
  const path = { chatbotId };
  // An admin's rows get their controls once the members are read: the room for them is kept from the start, so nothing below moves.
  const list = h('ul', { class: context.isAdmin ? 'team admin' : 'team', 'aria-label': 'Team' });
  const note = h('p', { role: 'status', class: 'note' });
  const shown = h('div', { class: 'shown' });
  const history = h('div', { class: 'history-panel' });
  let members = new Map<string, Member>();

  const loadMembers = async () => {
    const page = ok(await client.GET('/v1/chatbots/{chatbotId}/members', { params: { path, query: { limit: '200' } } }));
    members = new Map(page.items.map((member) => [member.agentId, member as Member]));
    update();
  };

  /** The last-admin rule, said where it refuses. */
  const explain = (error: unknown, name: string) =>
    error instanceof InboxApiError && error.code === 'last_admin'
      ? `${name} is the last admin of this team, and a team always keeps one: make another member admin first.`
      : message(error);

  const setRole = async (member: Member, role: Role, select: HTMLSelectElement) => {
    try {
      ok(await client.PUT('/v1/chatbots/{chatbotId}/members/{agentId}', { params: { path: { chatbotId, agentId: member.agentId } }, body: { role } }));
      note.textContent = `${member.name} is now ${ROLE_LABELS[role].toLowerCase()}.`;
      await loadMembers();
    } catch (error) {
      select.value = member.role;
      note.textContent = `The role was not changed: ${explain(error, member.name)}`;
    }
  };

  const remove = async (member: Member) => {
    try {
      ok(await client.DELETE('/v1/chatbots/{chatbotId}/members/{agentId}', { params: { path: { chatbotId, agentId: member.agentId } } }));
      note.textContent = `${member.name} was removed from the team; their keys no longer work here.`;
      await loadMembers();
    } catch (error) {
      note.textContent = `${member.name} was not removed: ${explain(error, member.name)}`;
    }
  };

  /** Skills as typed: names apart by spaces or commas ("es, billing"). */
  const skillsTyped = (text: string) => text.split(/[\s,]+/).filter((name) => name !== '');

  const setSkills = async (member: Member, input: HTMLInputElement) => {
    try {
      const saved = ok(
        await client.PUT('/v1/chatbots/{chatbotId}/members/{agentId}/skills', {
          params: { path: { chatbotId, agentId: member.agentId } },
          body: { skills: skillsTyped(input.value) },
        }),
      );
      member.skills = saved.skills;
      input.value = saved.skills.join(' ');
      note.textContent = saved.skills.length === 0 ? `${member.name} has no skills now.` : `${member.name}'s skills: ${saved.skills.join(', ')}.`;
    } catch (error) {
      input.value = member.skills.join(' ');
      note.textContent = `The skills were not changed: ${message(error)}`;
    }
  };

  const signInLink = async (member: Member) => {
    try {
      const link = ok(await client.POST('/v1/inbox/{chatbotId}/agents/{agentId}/login-links', { params: { path: { chatbotId, agentId: member.agentId } } }));
      note.textContent = '';
      fill(shown, linkPanel(`Sign-in link for ${member.name}`, link.url, `Works once, until ${timeOfDay(link.expiresAt)} (15 minutes). Send it to ${member.name} only.`));
    } catch (error) {
      note.textContent = `No sign-in link was made: ${message(error)}`;
    }
  };

  /** A removal asks once more on the same button, for a few seconds. */
  const removeButton = (member: Member) => {
    const button = h('button', { type: 'button', class: 'danger' }, `Remove ${member.name}`);
    let armed: ReturnType<typeof setTimeout> | null = null;
    button.addEventListener('click', () => {
      if (armed) {
        clearTimeout(armed);
        armed = null;
        void remove(member);
        return;
      }
      button.textContent = `Really remove ${member.name}?`;
      armed = setTimeout(() => {
        armed = null;
        button.textContent = `Remove ${member.name}`;
      }, 5000);
    });
    return button;
  };

  const adminControls = (member: Member) => {
    const role = h(
      'select',
      { 'aria-label': `Role of ${member.name}` },
      ...(['agent', 'admin'] as const).map((value) => h('option', { value, selected: value === member.role }, ROLE_LABELS[value])),
    );
    role.addEventListener('change', () => void setRole(member, role.value as Role, role));
    // Saved when it changes (Enter, or leaving the field); a chat requiring skills goes only to members holding them.
    const skills = h('input', {
      type: 'text',
      class: 'skills',
      'aria-label': `Skills of ${member.name}`,
      placeholder: 'skills: es billing',
      value: member.skills.join(' '),
      autocomplete: 'off',
      spellcheck: 'false',
      autocapitalize: 'none',
    });
    skills.addEventListener('change', () => void setSkills(member, skills));
    return h(
      'span',
      { class: 'member-actions' },
      role,
      skills,
      h('button', { type: 'button', onclick: () => void signInLink(member) }, `Sign-in link for ${member.name}`),
      h('button', { type: 'button', onclick: () => void showHistory(history, client, chatbotId, member, names()) }, `History of ${member.name}`),
      removeButton(member),
    );
  };
  const names = () => new Map([...context.agents().values()].map((agent) => [agent.agentId, agent.name]));

  // A member the roles do not know yet (an invitation was just accepted): read the members and invitations again, once each.
  const asked = new Set<string>();
  const newcomer = (agentId: string) => {
    if (!isAdmin || members.size === 0 || asked.has(agentId)) return;
    asked.add(agentId);
    void Promise.all([loadMembers(), invited?.load()]).catch(() => undefined);
  };

  const update = () => {
    const now = Date.now();
    // Only the lines are redrawn, so an admin's open role selector is not reset by a team update.
    const seen = new Set<string>();
    for (const agent of context.agents().values()) {
      seen.add(agent.agentId);
      const member = members.get(agent.agentId);
      if (!member) newcomer(agent.agentId);
      let item = list.querySelector<HTMLLIElement>(`li[data-agent="${CSS.escape(agent.agentId)}"]`);
      if (!item || item.dataset.role !== (member?.role ?? '')) {
        const fresh = h(
          'li',
          { 'data-agent': agent.agentId, 'data-role': member?.role ?? '', 'aria-current': agent.agentId === context.me.agentId ? 'true' : null },
          h('span', { class: 'dot', 'aria-hidden': 'true' }),
          h('span', { class: 'line' }),
          agent.agentId === context.me.agentId ? h('strong', { class: 'you' }, '(you)') : null,
          member && isAdmin ? adminControls(member) : null,
        );
        if (item) item.replaceWith(fresh);
        else list.append(fresh);
        item = fresh;
      }
      item.dataset.state = agent.state;
      item.querySelector('.dot')!.className = `dot ${agent.state}`;
      item.querySelector('.line')!.textContent = teamLine(agent, now);
    }
    for (const item of list.querySelectorAll<HTMLLIElement>('li')) if (!seen.has(item.dataset.agent!)) item.remove();
    showInvitations();
  };

  const invited = isAdmin ? invitations(context, shown, note) : null;
  fill(container, h('h1', { id: 'team-title' }, 'My team'), note, list, shown, history);
  // The invitations go below the team once its rows are in (the stream's first snapshot), so
  // the rows arriving never push them down under the reader's eyes.
  const showInvitations = () => {
    if (invited && !invited.element.isConnected && context.agents().size > 0) container.append(invited.element);
  };
  update();
  showInvitations();
  if (isAdmin) void loadMembers().catch((error: unknown) => (note.textContent = `The members could not be read: ${message(error)}`));
  return { update };
}

/** Inviting colleagues (admins): name, e-mail and role give a link to hand over; pending invitations, revocable. */
function invitations(context: ConsoleContext, shown: HTMLElement, note: HTMLElement): { element: HTMLElement; load(): Promise<void> } {
  const { client, chatbotId } = context;
  const path = { chatbotId };
  const name = h('input', { id: 'invite-name', autocomplete: 'off', required: true, maxlength: 200 });
  const email = h('input', { id: 'invite-email', type: 'email', autocomplete: 'off', required: true, maxlength: 320 });
  const role = h('select', { id: 'invite-role' }, h('option', { value: 'agent' }, 'Agent'), h('option', { value: 'admin' }, 'Admin'));
  const pending = h('ul', { class: 'invitations', 'aria-label': 'Pending invitations' });
  // The invitation whose link is shown: once it is used (or revoked, or expired), the link goes.
  let showing: string | null = null;

  const load = async () => {
    const page = ok(await client.GET('/v1/chatbots/{chatbotId}/invitations', { params: { path, query: { limit: '200' } } }));
    const open = (page.items as Invitation[]).filter((invitation) => invitation.state === 'pending');
    const shownOne = (page.items as Invitation[]).find((invitation) => invitation.id === showing);
    if (shownOne && shownOne.state !== 'pending') {
      fill(shown);
      showing = null;
      note.textContent =
        shownOne.state === 'accepted'
          ? `${shownOne.name} accepted the invitation: they are a member now.`
          : `The invitation of ${shownOne.name} is ${shownOne.state}: its link no longer works.`;
    }
    fill(
      pending,
      ...(open.length === 0
        ? [h('li', {}, 'No pending invitations.')]
        : open.map((invitation) =>
            h(
              'li',
              {},
              h('span', {}, `${invitation.name} <${invitation.email}> · ${ROLE_LABELS[invitation.role].toLowerCase()} · until ${dayAndTime(invitation.expiresAt)}`),
              h('button', { type: 'button', onclick: () => void revoke(invitation) }, `Revoke the invitation of ${invitation.name}`),
            ),
          )),
    );
  };
  const revoke = async (invitation: Invitation) => {
    try {
      ok(await client.DELETE('/v1/chatbots/{chatbotId}/invitations/{invitationId}', { params: { path: { chatbotId, invitationId: invitation.id } } }));
      note.textContent = `The invitation of ${invitation.name} was revoked: its link no longer works.`;
      fill(shown);
      // Told already: the reload below has nothing to add about it.
      if (showing === invitation.id) showing = null;
      await load();
    } catch (error) {
      note.textContent = `The invitation was not revoked: ${message(error)}`;
    }
  };
  const invite = async () => {
    try {
      const made = ok(
        await client.POST('/v1/chatbots/{chatbotId}/invitations', { params: { path }, body: { name: name.value.trim(), email: email.value.trim(), role: role.value as Role } }),
      );
      note.textContent = '';
      fill(
        shown,
        linkPanel(
          `Invitation link for ${made.name}`,
          made.url,
          `Send it to ${made.email}: opened in a browser, it makes ${made.name} ${made.role === 'admin' ? 'an admin' : 'an agent'} of this team. It works once, until ${dayAndTime(made.expiresAt)} (7 days). No mail is sent.`,
        ),
      );
      showing = made.id;
      name.value = '';
      email.value = '';
      await load();
    } catch (error) {
      note.textContent = `No invitation was made: ${message(error)}`;
    }
  };
  void load().catch((error: unknown) => (note.textContent = `The invitations could not be read: ${message(error)}`));
  const element = h(
    'section',
    { 'aria-labelledby': 'invite-title', class: 'invite' },
    h('h2', { id: 'invite-title' }, 'Invite a colleague'),
    h(
      'form',
      {
        class: 'invite-form',
        onsubmit: (event: Event) => {
          event.preventDefault();
          void invite();
        },
      },
      h('label', { for: 'invite-name' }, 'Name'),
      name,
      h('label', { for: 'invite-email' }, 'E-mail'),
      email,
      h('label', { for: 'invite-role' }, 'Role'),
      role,
      h('button', { type: 'submit' }, 'Invite'),
    ),
    h('h2', {}, 'Pending invitations'),
    pending,
  );
  return { element, load };
}
