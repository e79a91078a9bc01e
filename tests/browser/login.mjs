// Logs a page in through the login form, as an operator would.
export async function logIn(page, server, username, password = `lantern-demo-${username}`) {
  await page.goto(server.url);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
}
