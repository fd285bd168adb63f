// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { VaultBase, Errors, IRoyaltyVault, Vault } from "../VaultBase.t.sol";

/// @notice The pool made ID public at START, before anyone registered it; 1,000 USDC stream to it.
contract ConfirmAuthor_Unit_Test is VaultBase {
    address internal carol;
    address internal mallory;

    function setUp() public override {
        super.setUp();
        carol = makeAddr("carol");
        mallory = makeAddr("mallory");
        _setUnits(pool, ID, 1);
        _deposit(pool, 1_000e6);
    }

    /// @dev Bob, the true author, had no evidence before the exposure and registers a day after it.
    function _registerLate() internal {
        vm.warp(START + 1 days);
        _register(bob, ID);
    }

    function _confirm(address author) internal {
        vm.prank(admin);
        vault.confirmAuthor(pool, ID, author);
    }

    function test_RevertWhen_PoolNotFound() external {
        _registerLate();
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_PoolNotFound.selector, 99));
        vm.prank(admin);
        vault.confirmAuthor(99, ID, bob);
    }

    function test_RevertWhen_CallerNotPoolAdmin() external {
        _registerLate();
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotPoolAdmin.selector, pool, bob, admin));
        vm.prank(bob);
        vault.confirmAuthor(pool, ID, bob);
        assertEq(_stateWord(pool, ID), before);
        assertFalse(vault.canClaim(pool, ID));
    }

    /// @dev Setting units is delegated to the attributor; vouching for an author is not.
    function test_RevertWhen_CallerIsTheAttributor() external {
        vm.prank(admin);
        vault.setAttributor(pool, attributor);
        _registerLate();
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotPoolAdmin.selector, pool, attributor, admin));
        vm.prank(attributor);
        vault.confirmAuthor(pool, ID, bob);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_NotEscrowed() external {
        _register(alice, ID2);
        _setUnits(pool, ID2, 1);
        bytes32 before = _stateWord(pool, ID2);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotEscrowed.selector, pool, ID2));
        vm.prank(admin);
        vault.confirmAuthor(pool, ID2, alice);
        assertEq(_stateWord(pool, ID2), before);
    }

    /// @dev Escrow is per pool: ID was made public in `pool`, not in `ethPool`.
    function test_RevertWhen_NotEscrowedInThisPool() external {
        _registerLate();
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotEscrowed.selector, ethPool, ID));
        vm.prank(admin);
        vault.confirmAuthor(ethPool, ID, bob);
        assertEq(vault.escrowOf(ethPool, ID).confirmedAt, 0);
    }

    function test_RevertWhen_AuthorMismatch() external {
        _registerLate();
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_AuthorMismatch.selector, ID, carol, bob));
        vm.prank(admin);
        vault.confirmAuthor(pool, ID, carol);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_Unregistered() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_AuthorMismatch.selector, ID, bob, address(0)));
        vm.prank(admin);
        vault.confirmAuthor(pool, ID, bob);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_ZeroAuthorOfAnUnregisteredHash() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.RoyaltyVault_AuthorMismatch.selector, ID, address(0), address(0))
        );
        vm.prank(admin);
        vault.confirmAuthor(pool, ID, address(0));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_ConfirmAuthor() external {
        _registerLate();
        assertFalse(vault.canClaim(pool, ID));
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.AuthorConfirmed(pool, ID, bob, uint40(START + 1 days), admin);
        _confirm(bob);
        Vault.Escrow memory escrow = vault.escrowOf(pool, ID);
        assertEq(escrow.exposedAt, START, "exposure unchanged");
        assertEq(escrow.confirmedAt, START + 1 days, "the record's date");
        assertTrue(vault.canClaim(pool, ID));

        vm.warp(START + DURATION);
        uint256 owed = vault.claimable(pool, ID);
        vm.prank(bob);
        assertEq(vault.claim(pool, ID, bob), owed);
        assertEq(usdc.balanceOf(bob), 1_000e6);
    }

    function test_ConfirmAuthor_WorksWhilePaused() external {
        _registerLate();
        vm.prank(owner);
        vault.pause();
        _confirm(bob);
        assertTrue(vault.canClaim(pool, ID));
    }

    /// @dev The confirmation names the record by its date: bob sells the contribution to carol, who claims.
    function test_ConfirmAuthor_TransferKeepsTheConfirmation() external {
        _registerLate();
        _confirm(bob);
        vm.prank(bob);
        registry.transferAuthorship(ID, carol);
        vm.prank(carol);
        registry.acceptAuthorship(ID);
        assertTrue(vault.canClaim(pool, ID));
        vm.warp(START + DURATION);
        vm.prank(carol);
        assertEq(vault.claim(pool, ID, carol), 1_000e6);
    }

    /// @dev Mallory read the hash at the exposure and committed to it at once; bob registered later and the admin
    /// confirmed him; mallory's reveal supersedes bob's record with her older (but post-exposure) evidence. Her
    /// record is not the one confirmed: the confirmation does not pass to her.
    function test_ConfirmAuthor_SupersessionVoidsTheConfirmation() external {
        vm.warp(START + 12 hours);
        _commit(mallory, ID);
        _registerLate();
        _confirm(bob);
        vm.warp(START + 1 days + 1 hours);
        _reveal(mallory, ID);
        assertEq(registry.authorOf(ID), mallory);
        assertFalse(vault.canClaim(pool, ID));

        vm.warp(START + DURATION);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.RoyaltyVault_EscrowUnconfirmed.selector,
                pool,
                ID,
                mallory,
                uint40(START + 12 hours),
                uint40(START)
            )
        );
        vm.prank(mallory);
        vault.claim(pool, ID, mallory);
        assertEq(_stateWord(pool, ID), before);
    }

    /// @dev A new confirmation replaces the previous one.
    function test_ConfirmAuthor_ReplacesAnEarlierConfirmation() external {
        vm.warp(START + 12 hours);
        _commit(mallory, ID);
        _registerLate();
        _confirm(bob);
        vm.warp(START + 1 days + 1 hours);
        _reveal(mallory, ID);
        _confirm(mallory);
        assertEq(vault.escrowOf(pool, ID).confirmedAt, START + 12 hours);
        assertTrue(vault.canClaim(pool, ID));
    }

    /// @dev A confirmation in one pool says nothing about another pool that made the hash public too.
    function test_ConfirmAuthor_IsPerPool() external {
        uint256 pool2 = _createPool(address(usdc));
        _setUnits(pool2, ID, 1);
        _registerLate();
        _confirm(bob);
        assertTrue(vault.canClaim(pool, ID));
        assertFalse(vault.canClaim(pool2, ID));
    }
}
